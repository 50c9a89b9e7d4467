// Admin: the audit log, filtered by user, kind and date range (all kept in the URL).
import { useQuery } from "@tanstack/react-query";
import { Form, Link, useSearchParams } from "react-router";
import { adminListAuditEventsOptions } from "~/client/@tanstack/react-query.gen";
import { zAuditKind } from "~/client/zod.gen";
import { AuditEventsTable, kindLabel } from "~/components/admin/audit-events-table";
import { Pagination } from "~/components/pagination";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { errorMessage } from "~/lib/api-errors";
import { projectName } from "~/project";

const PAGE_SIZE = 50;

export function meta() {
  return [{ title: `Audit log · Admin · ${projectName}` }];
}

/** A date input's day (local time) as the instant it starts, for the API's datetime filters. */
function startOfDay(day: string | null): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}

export default function AuditLogPage() {
  const [searchParams] = useSearchParams();
  const filters = {
    user_id: searchParams.get("user_id") ?? "",
    kind: searchParams.get("kind") ?? "",
    from: searchParams.get("from") ?? "",
    to: searchParams.get("to") ?? "",
  };
  const page = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const kind = zAuditKind.safeParse(filters.kind);
  const dayAfter = filters.to ? new Date(`${filters.to}T00:00:00`) : null;
  dayAfter?.setDate(dayAfter.getDate() + 1);
  const events = useQuery(
    adminListAuditEventsOptions({
      query: {
        user_id: filters.user_id || undefined,
        kind: kind.success ? kind.data : undefined,
        since: startOfDay(filters.from),
        until: dayAfter?.toISOString(),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      },
    }),
  );
  const pageLink = (to: number) => `?${new URLSearchParams({ ...filters, page: String(to) })}`;

  return (
    <section className="grid grid-cols-1 gap-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <Form className="grid grid-cols-1 gap-3 sm:grid-cols-5 sm:items-end" aria-label="Filters">
        <div className="grid grid-cols-1 gap-1 sm:col-span-2">
          <Label htmlFor="user_id">User id</Label>
          <Input id="user_id" name="user_id" defaultValue={filters.user_id} placeholder="user_…" />
        </div>
        <div className="grid grid-cols-1 gap-1">
          <Label htmlFor="kind">Event</Label>
          <select
            id="kind"
            name="kind"
            defaultValue={filters.kind}
            className="h-9 rounded-md border bg-background px-2 text-sm"
          >
            <option value="">Any</option>
            {zAuditKind.options.map((option) => (
              <option key={option} value={option}>
                {kindLabel(option)}
              </option>
            ))}
          </select>
        </div>
        <div className="grid grid-cols-1 gap-1">
          <Label htmlFor="from">From</Label>
          <Input id="from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="grid grid-cols-1 gap-1">
          <Label htmlFor="to">To</Label>
          <Input id="to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="flex gap-2 sm:col-span-5">
          <Button type="submit" variant="outline">
            Filter
          </Button>
          <Button variant="link" asChild>
            <Link to="/admin/audit">Clear</Link>
          </Button>
        </div>
      </Form>
      {events.isPending ? (
        <p className="text-muted-foreground">Loading events…</p>
      ) : events.isError ? (
        <Alert variant="destructive">Could not load the events: {errorMessage(events.error)}</Alert>
      ) : (
        <>
          <AuditEventsTable events={events.data.items} />
          <Pagination
            page={page}
            total={events.data.total}
            pageSize={PAGE_SIZE}
            pageLink={pageLink}
          />
        </>
      )}
    </section>
  );
}
