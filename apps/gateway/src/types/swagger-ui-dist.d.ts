/** swagger-ui-dist ships no typings; the gateway only needs the folder of its static assets. */
declare module 'swagger-ui-dist/absolute-path.js' {
  function getAbsoluteFSPath(): string;
  export = getAbsoluteFSPath;
}
