// The URL map of the app: one module per page under routes/.
import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/items.tsx"),
  route("items/new", "routes/items.new.tsx"),
  route("items/:itemId/edit", "routes/items.edit.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
