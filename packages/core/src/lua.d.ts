/** Lua scripts are imported as text (tsup's text loader; a vite plugin in tests). */
declare module '*.lua' {
  const source: string;
  export default source;
}
