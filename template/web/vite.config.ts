// Vite: React Router + Tailwind; the dev server proxies /api to the FastAPI server of `just dev`.
import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import { compression } from "vite-plugin-compression2";

const apiPort = process.env.API_PORT ?? "8000";
const webPort = Number(process.env.WEB_PORT ?? "5173");

export default defineConfig({
  plugins: [
    tailwindcss(),
    reactRouter(),
    // Precompressed copies that FastAPI serves to clients that accept them.
    compression({ algorithms: ["gzip", "brotliCompress"], include: /\.(js|css|html|svg|json)$/ }),
  ],
  resolve: { tsconfigPaths: true },
  server: {
    host: "127.0.0.1",
    port: webPort,
    strictPort: true,
    proxy: { "/api": `http://127.0.0.1:${apiPort}` },
  },
});
