// x12-parser declares its types through package.json `exports`, which this repository's module
// resolution ("node") does not read: point TypeScript at the same declarations Node loads.
declare module 'x12-parser' {
  export * from 'x12-parser/dist/cjs/index';
}
