// csv-stringify declares the types of its synchronous API only under its package `exports`, which
// this project's module resolution (classic Node, for CommonJS output) does not read. The part we
// use, as its documentation gives it; the runtime resolves `csv-stringify/sync` through `exports`.
declare module 'csv-stringify/sync' {
  export interface StringifyOptions {
    header?: boolean;
    columns?: string[];
    record_delimiter?: 'unix' | 'windows' | string;
    eof?: boolean;
    cast?: { string?: (value: string) => string };
  }
  export function stringify(records: unknown[][], options?: StringifyOptions): string;
}
