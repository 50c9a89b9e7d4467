// Audit events as a table: when, what, who did it, to whom, and from where.
import type { AuditEventPublic } from "~/client";
import { Moment } from "~/components/moment";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** "impersonation_started" → "impersonation started". */
export function kindLabel(kind: string): string {
  return kind.replaceAll("_", " ");
}

export function AuditEventsTable({ events }: { events: AuditEventPublic[] }) {
  if (events.length === 0) return <p className="text-muted-foreground">No events.</p>;
  return (
    <section
      className="overflow-x-auto rounded-md border"
      aria-label="Audit events, scrollable"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the screen scrolls in its frame; the keyboard must reach it (WCAG 2.1.1)
      tabIndex={0}
    >
      <table className="w-full text-left text-sm" aria-label="Audit events">
        <thead className="border-b bg-muted text-foreground">
          <tr>
            <th className="px-3 py-2 font-medium">When</th>
            <th className="px-3 py-2 font-medium">Event</th>
            <th className="px-3 py-2 font-medium">By</th>
            <th className="px-3 py-2 font-medium">On</th>
            <th className="px-3 py-2 font-medium">From</th>
          </tr>
        </thead>
        <tbody className="divide-y">
          {events.map((event) => (
            <tr key={event.id}>
              <td className="px-3 py-2 whitespace-nowrap">
                <Moment value={event.created_at} format={dateTime} />
              </td>
              <td className="px-3 py-2">
                {kindLabel(event.kind)}
                {typeof event.details.reason === "string" && (
                  <span className="text-muted-foreground">
                    {" "}
                    ({kindLabel(event.details.reason)})
                  </span>
                )}
              </td>
              <td className="px-3 py-2">{person(event.actor_email, event.actor_id)}</td>
              <td className="px-3 py-2">
                {person(event.subject_email, event.subject_id) ??
                  (typeof event.details.email === "string" ? event.details.email : null)}
              </td>
              <td className="px-3 py-2 whitespace-nowrap text-muted-foreground">{event.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function person(email: string | null, id: string | null): string | null {
  return email ?? (id ? `${id} (deleted)` : null);
}
