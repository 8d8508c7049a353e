/** The paint worker's bundled source, put in by esbuild.js (`paintWorkerSource` plugin). */
declare module 'paint-worker-source' {
  const source: string;
  export default source;
}
