import { defineConfig } from 'vite';

// The player is built from index.html. Lit decorators use TypeScript's legacy
// form (tsconfig experimentalDecorators), which Vite 8's Oxc transform lowers;
// see ../shared/TOOLCHAIN.md "Gotchas seen".
// `npm run dev` serves the player with hot reload and forwards the data routes
// to a running `npm start` (127.0.0.1:8080, or CCSP_DEV_BACKEND).
const backend = process.env.CCSP_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // hls.js is loaded with a dynamic import only when an HLS item is due.
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(['/channels', '/media', '/trust', '/config.json'].map((p) => [p, backend])),
  },
});
