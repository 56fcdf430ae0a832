import type { IDataObject } from 'n8n-workflow';

export declare const EDGE_ROWS_SQL: string;
export declare const EXPECTED_EDGE_ITEMS: IDataObject[];
