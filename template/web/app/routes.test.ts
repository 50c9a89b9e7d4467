// @vitest-environment node
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RouteConfigEntry } from "@react-router/dev/routes";
import { afterEach, describe, expect, it, vi } from "vitest";

const APP_DIRECTORY = path.resolve(import.meta.dirname);

/** The route config of routes.ts for an app directory, evaluated the way React Router's build does. */
async function routeConfig(appDirectory: string): Promise<RouteConfigEntry[]> {
  globalThis.__reactRouterAppDirectory = appDirectory;
  vi.resetModules();
  const { default: routes } = await import("~/routes");
  return routes;
}

/** Every URL pattern of a route config mapped to its module, children under their layout. */
function urls(routes: RouteConfigEntry[], parent = ""): Record<string, string> {
  const byUrl: Record<string, string> = {};
  for (const route of routes) {
    const url = route.index ? `${parent}/` : [parent, route.path].filter(Boolean).join("/");
    if (route.index || route.path) byUrl[url.startsWith("/") ? url : `/${url}`] = route.file;
    Object.assign(byUrl, urls(route.children ?? [], url));
  }
  return byUrl;
}

describe("routes", () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it("maps the page files to their URLs, leaving out tests", async () => {
    const byUrl = urls(await routeConfig(APP_DIRECTORY));

    // A subset: the pages a project adds next to these must not break this test.
    expect(Object.values(byUrl).filter((file) => file.includes(".test."))).toEqual([]);
    expect(byUrl).toMatchObject({
      "/": "routes/_authenticated._index.tsx",
      "/items/new": "routes/_authenticated.items.new.tsx",
      "/items/:itemId/edit": "routes/_authenticated.items.$itemId.edit.tsx",
      "/account": "routes/_authenticated.account.tsx",
      "/admin": "routes/_authenticated.admin.tsx",
      "/admin/": "routes/_authenticated.admin._index.tsx",
      "/admin/users/:userId": "routes/_authenticated.admin.users.$userId.tsx",
      "/admin/audit": "routes/_authenticated.admin.audit.tsx",
      "/login": "routes/login.tsx",
      "/signup": "routes/signup.tsx",
      "/forgot-password": "routes/forgot-password.tsx",
      "/reset-password": "routes/reset-password.tsx",
      "/verify-email": "routes/verify-email.tsx",
      "/*": "routes/$.tsx",
    });
  });

  it("puts the `_authenticated.` pages, and only those, under the layout that requires a login", async () => {
    const routes = await routeConfig(APP_DIRECTORY);

    const layout = routes.find((route) => route.file === "routes/_authenticated.tsx");
    expect(layout?.path).toBeUndefined();
    const children = Object.values(urls(layout?.children ?? []));
    expect(children.filter((file) => !file.startsWith("routes/_authenticated."))).toEqual([]);
    expect(children).toEqual(
      expect.arrayContaining([
        "routes/_authenticated._index.tsx",
        "routes/_authenticated.account.tsx",
        "routes/_authenticated.admin._index.tsx",
        "routes/_authenticated.admin.audit.tsx",
        "routes/_authenticated.admin.tsx",
        "routes/_authenticated.admin.users.$userId.tsx",
        "routes/_authenticated.items.$itemId.edit.tsx",
        "routes/_authenticated.items.new.tsx",
      ]),
    );
  });

  it("picks up a page dropped into routes/ without any registry edit", async () => {
    scratch = mkdtempSync(path.join(tmpdir(), "routes-"));
    cpSync(APP_DIRECTORY, scratch, { recursive: true });
    writeFileSync(
      path.join(scratch, "routes/_authenticated.reports.$year.tsx"),
      "export default function Reports() { return null; }\n",
    );

    const byUrl = urls(await routeConfig(scratch));

    expect(byUrl["/reports/:year"]).toBe("routes/_authenticated.reports.$year.tsx");
  });
});
