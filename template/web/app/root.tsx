// The document shell, the navigation layout and the app-wide error boundary.
import { QueryClientProvider } from "@tanstack/react-query";
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
} from "react-router";
import type { Route } from "./+types/root";
import "./app.css";
import { reportError, startErrorTracking } from "~/lib/error-tracking";
import { createQueryClient } from "~/lib/query-client";
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
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function Navigation() {
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    cn("text-sm font-medium hover:text-slate-900", isActive ? "text-slate-900" : "text-slate-500");
  return (
    <header className="border-b bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-3xl items-center gap-6 px-4 py-3">
        <Link to="/" className="font-semibold">
          {projectName}
        </Link>
        <NavLink to="/" end className={linkClass}>
          Items
        </NavLink>
        <NavLink to="/items/new" className={linkClass}>
          New item
        </NavLink>
      </nav>
    </header>
  );
}

export default function App() {
  const [queryClient] = useState(createQueryClient);
  useEffect(() => {
    void startErrorTracking();
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <Navigation />
      <main className="mx-auto max-w-3xl px-4 py-8">
        <Outlet />
      </main>
    </QueryClientProvider>
  );
}

export function HydrateFallback() {
  return <p className="p-8 text-slate-500">Loading…</p>;
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
      <p className="mt-2 text-slate-600">{message}</p>
      <Link to="/" className="mt-4 inline-block underline">
        Back to the items
      </Link>
    </main>
  );
}
