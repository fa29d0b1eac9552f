// csv-parse declares the types of its synchronous API only under its package `exports`, which this
// project's module resolution (classic Node, for CommonJS output) does not read. The part we use.
declare module 'csv-parse/sync' {
  export interface ParseOptions {
    relax_quotes?: boolean;
    relax_column_count?: boolean;
    skip_empty_lines?: boolean;
    bom?: boolean;
  }
  export function parse(input: string, options?: ParseOptions): string[][];
}
