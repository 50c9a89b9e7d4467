// What the server tells the web app at start (GET /api/client-config), asked for once per page load.
import { type ClientConfig, clientConfigGetClientConfig } from "~/client";

let config: Promise<ClientConfig | undefined> | undefined;

export function getClientConfig(): Promise<ClientConfig | undefined> {
  config ??= clientConfigGetClientConfig().then(({ data }) => data);
  return config;
}
