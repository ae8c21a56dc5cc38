// Builds the React app into ../static/dist/ with STABLE names (app.js, app.css):
// templates/app.html references them directly, so there is no manifest to read.
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [react()],
  // Assets referenced from CSS (fonts, images) resolve under Django's static URL.
  base: "/static/dist/",
  publicDir: false,
  build: {
    outDir: here("../static/dist"),
    emptyOutDir: true,
    cssCodeSplit: false,
    sourcemap: true,
    target: "es2022",
    rollupOptions: {
      input: here("src/main.tsx"),
      output: {
        entryFileNames: "app.js",
        chunkFileNames: "chunks/[name]-[hash].js",
        assetFileNames: (asset) => {
          const names = asset.names ?? [];
          return names.some((name) => name.endsWith(".css"))
            ? "app.css"
            : "assets/[name]-[hash][extname]";
        },
      },
    },
  },
});
