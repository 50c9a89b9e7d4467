// React Router framework mode as a single-page app: no server rendering, FastAPI serves build/client.
import type { Config } from "@react-router/dev/config";

export default {
  ssr: false,
} satisfies Config;
