/**
 * A small HTTP proxy on 127.0.0.1 for tests: it opens CONNECT tunnels to loopback targets only,
 * refuses every other target with 403 without contacting it, and logs each CONNECT target and
 * each plain proxied request.
 */
import http from 'node:http';
import net from 'node:net';

export interface ProxyLogEntry {
	method: string;
	/** `host:port` for CONNECT, the absolute URL for a plain request. */
	target: string;
	allowed: boolean;
}

export interface ConnectProxy {
	url: string;
	log: ProxyLogEntry[];
	close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function loopbackTarget(target: string): { host: string; port: number } | undefined {
	const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
	if (!match || !LOOPBACK_HOSTS.has(match[1].toLowerCase())) return undefined;
	return { host: match[1] === '[::1]' ? '::1' : match[1], port: Number(match[2]) };
}

export async function startConnectProxy(): Promise<ConnectProxy> {
	const log: ProxyLogEntry[] = [];
	const sockets = new Set<net.Socket>();
	const server = http.createServer((request, response) => {
		// Plain (non-tunnelled) proxy requests are logged and refused: the tests expect HTTPS.
		log.push({ method: request.method ?? '', target: request.url ?? '', allowed: false });
		response.writeHead(403, { 'Content-Type': 'text/plain' }).end('This test proxy only opens CONNECT tunnels.');
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		const target = request.url ?? '';
		const loopback = loopbackTarget(target);
		log.push({ method: 'CONNECT', target, allowed: loopback !== undefined });
		if (!loopback) {
			client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		const upstream = net.connect(loopback.port, loopback.host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length > 0) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		sockets.add(upstream);
		upstream.once('close', () => sockets.delete(upstream));
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		log,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
