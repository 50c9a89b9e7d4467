// The URL map of the app, read from the file names in routes/ (React Router's flat-routes convention):
// adding a page is adding a file there (see the README's "Web app" section for the naming rules).
import type { RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";

export default flatRoutes({ ignoredRouteFiles: ["**/*.test.*"] }) satisfies RouteConfig;
