// Vite's `?raw` imports (used to read README.md in tests).
declare module "*?raw" {
  const content: string;
  export default content;
}
