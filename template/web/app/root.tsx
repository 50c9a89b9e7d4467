// The document shell, the navigation layout and the app-wide error boundary.
import { QueryClientProvider, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useNavigate,
} from "react-router";
import type { Route } from "./+types/root";
import "./app.css";
import { authLogOutMutation } from "~/client/@tanstack/react-query.gen";
import { ImpersonationBanner } from "~/components/impersonation-banner";
import { Button } from "~/components/ui/button";
import { isAdmin } from "~/lib/admin";
import { createQueryClient } from "~/lib/query-client";
import { useAccount } from "~/lib/session";
import { cn } from "~/lib/utils";
import { projectName } from "~/project";

export function meta(): Route.MetaDescriptors {
  return [{ title: projectName }];
}

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
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
  return (
    <header className="border-b bg-card">
      <nav aria-label="Main" className="mx-auto flex max-w-3xl items-center gap-6 px-4 py-3">
        <Link to="/" className="font-semibold">
          {projectName}
        </Link>
        {account.data && (
          <>
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
          </>
        )}
        <div className="ml-auto flex items-center gap-4">
          {account.data ? (
            <>
              <NavLink to="/account" className={linkClass} title="Account settings">
                {account.data.email}
              </NavLink>
              <LogOutButton />
            </>
          ) : account.isPending ? null : (
            <>
              <NavLink to="/login" className={linkClass}>
                Log in
              </NavLink>
              <NavLink to="/signup" className={linkClass}>
                Sign up
              </NavLink>
            </>
          )}
        </div>
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
