// Generates the typed API client in app/client from the backend's OpenAPI document.
// `just web_generate` dumps the document and runs this; never edit app/client by hand.
import { defineConfig } from "@hey-api/openapi-ts";

export default defineConfig({
  input: process.env.OPENAPI_FILE ?? "../tmp/openapi.json",
  output: { path: process.env.OPENAPI_CLIENT_DIR ?? "app/client" },
  logs: { file: false },
  plugins: [
    "@hey-api/client-fetch",
    "@hey-api/sdk",
    "@hey-api/typescript",
    "@tanstack/react-query",
    // Zod schemas of every request body: forms validate against the API's own constraints.
    "zod",
  ],
});
