// Builds the LIFF mini-app (liff/) into dist/liff, served by the Fastify server at /liff/.
// Kept apart from vitest.config.ts: a Vite root of `liff` would hide the tests from Vitest.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'liff',
  base: '/liff/',
  publicDir: false,
  build: {
    outDir: '../dist/liff',
    emptyOutDir: true,
    // LINE's in-app browser on older Android phones: modern syntax, no polyfills needed for ES2020.
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 200,
    rolldownOptions: {
      output: {
        // The LINE SDK and the simulator's mock in chunks of their own, so our own code's size is measured apart.
        codeSplitting: {
          groups: [
            { name: 'liff-mock', test: /node_modules[\\/]@line[\\/]liff-mock[\\/]/, priority: 2 },
            { name: 'liff-sdk', test: /node_modules[\\/](@line[\\/]liff[\\/]|@liff[\\/]|tiny-sha256[\\/])/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    // `npx vite` for UI work against a running `npm start`.
    proxy: { '/api': 'http://localhost:3000', '/simulator-api': 'http://localhost:3000' },
  },
});
