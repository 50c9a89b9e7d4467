// The document shell, the navigation layout and the app-wide error boundary.
import { QueryClientProvider, useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useNavigate,
} from "react-router";
import type { Route } from "./+types/root";
import "./app.css";
import { authLogOutMutation } from "~/client/@tanstack/react-query.gen";
import { ImpersonationBanner } from "~/components/impersonation-banner";
import { ThemeSelect } from "~/components/theme-select";
import { Button } from "~/components/ui/button";
import { isAdmin } from "~/lib/admin";
import { identifyUser } from "~/lib/analytics";
import { reportError, startErrorTracking } from "~/lib/error-tracking";
import { createQueryClient } from "~/lib/query-client";
import { useAccount } from "~/lib/session";
import { THEME_SCRIPT } from "~/lib/theme";
import { cn } from "~/lib/utils";
import { projectName } from "~/project";

export function meta(): Route.MetaDescriptors {
  return [{ title: projectName }];
}

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* First, so the stored theme (lib/theme.ts) applies before anything paints. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, allowed by its hash in the CSP */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function Navigation() {
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    cn(
      "text-sm font-medium hover:text-foreground",
      isActive ? "text-foreground" : "text-muted-foreground",
    );
  const account = useAccount();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    if (!account.isPending) void identifyUser(account.data);
  }, [account.isPending, account.data]);
  // A link followed from the open menu closes it: the next page starts with the menu folded.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <header className="border-b bg-card">
      <nav
        aria-label="Main"
        className="mx-auto flex max-w-3xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3"
        onKeyDown={(event) => {
          if (event.key === "Escape") setMenuOpen(false);
        }}
      >
        <Link to="/" className="min-w-0 truncate font-semibold">
          {projectName}
        </Link>
        <ThemeSelect />
        {account.data ? (
          <>
            {/* Below md the links fold into a menu under the "Menu" button; from md on, one row. */}
            <Button
              variant="outline"
              size="sm"
              className="ml-auto md:hidden"
              aria-expanded={menuOpen}
              aria-controls="main-menu"
              onClick={() => setMenuOpen(!menuOpen)}
            >
              Menu
            </Button>
            <div
              id="main-menu"
              className={cn(
                "w-full flex-col gap-3 md:flex md:w-auto md:min-w-0 md:flex-1 md:flex-row md:items-center md:gap-6",
                menuOpen ? "flex" : "hidden",
              )}
            >
              <NavLink to="/" end className={linkClass}>
                Items
              </NavLink>
              <NavLink to="/items/new" className={linkClass}>
                New item
              </NavLink>
              {isAdmin(account.data) && (
                <NavLink to="/admin" className={linkClass}>
                  Admin
                </NavLink>
              )}
              <div className="flex min-w-0 flex-col items-start gap-3 md:ml-auto md:flex-row md:items-center md:gap-4">
                <NavLink
                  to="/account"
                  className={(state) => cn(linkClass(state), "max-w-full truncate md:max-w-56")}
                  title="Account settings"
                >
                  {account.data.email}
                </NavLink>
                <LogOutButton />
              </div>
            </div>
          </>
        ) : account.isPending ? null : (
          <div className="ml-auto flex items-center gap-4">
            <NavLink to="/login" className={linkClass}>
              Log in
            </NavLink>
            <NavLink to="/signup" className={linkClass}>
              Sign up
            </NavLink>
          </div>
        )}
      </nav>
    </header>
  );
}

function LogOutButton() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logOut = useMutation({
    ...authLogOutMutation(),
    // Also when the session had already ended (401): either way this browser is logged out now.
    onSettled: async () => {
      await navigate("/login", { replace: true });
      queryClient.clear(); // nothing of this session stays in memory
    },
  });
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={logOut.isPending}
      onClick={() => logOut.mutate({})}
    >
      Log out
    </Button>
  );
}

export default function App() {
  const [queryClient] = useState(createQueryClient);
  useEffect(() => {
    void startErrorTracking();
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <ImpersonationBanner />
      <Navigation />
      <main className="mx-auto max-w-3xl px-4 py-8">
        <Outlet />
      </main>
    </QueryClientProvider>
  );
}

export function HydrateFallback() {
  return <p className="p-8 text-muted-foreground">Loading…</p>;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  useEffect(() => {
    if (!isRouteErrorResponse(error)) reportError(error);
  }, [error]);
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : "Unknown error";
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-muted-foreground">{message}</p>
      <Link to="/" className="mt-4 inline-block underline">
        Back to the items
      </Link>
    </main>
  );
}
