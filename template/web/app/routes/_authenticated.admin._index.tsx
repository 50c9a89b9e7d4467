// Admin: the users, searched by email (?email=) and paginated (?page=).
import { useQuery } from "@tanstack/react-query";
import { Form, Link, useSearchParams } from "react-router";
import { adminListUsersOptions } from "~/client/@tanstack/react-query.gen";
import { Moment } from "~/components/moment";
import { Pagination } from "~/components/pagination";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { errorMessage } from "~/lib/api-errors";
import { projectName } from "~/project";

const PAGE_SIZE = 20;
const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function meta() {
  return [{ title: `Users · Admin · ${projectName}` }];
}

export default function AdminUsersPage() {
  const [searchParams] = useSearchParams();
  const email = searchParams.get("email") ?? "";
  const page = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const users = useQuery(
    adminListUsersOptions({
      query: { email: email || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    }),
  );
  const pageLink = (to: number) => `?${new URLSearchParams({ email, page: String(to) })}`;

  return (
    <section className="grid grid-cols-1 gap-4">
      <h1 className="text-2xl font-semibold">Users</h1>
      <Form role="search" className="flex gap-2">
        <Input
          name="email"
          type="search"
          defaultValue={email}
          placeholder="Search by email"
          aria-label="Search by email"
        />
        <Button type="submit" variant="outline">
          Search
        </Button>
      </Form>
      {users.isPending ? (
        <p className="text-muted-foreground">Loading users…</p>
      ) : users.isError ? (
        <Alert variant="destructive">Could not load the users: {errorMessage(users.error)}</Alert>
      ) : users.data.total === 0 ? (
        <p className="text-muted-foreground">No user matches.</p>
      ) : (
        <>
          <section
            className="overflow-x-auto rounded-md border"
            aria-label="Users, scrollable"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the screen scrolls in its frame; the keyboard must reach it (WCAG 2.1.1)
            tabIndex={0}
          >
            <table className="w-full text-left text-sm" aria-label="Users">
              <thead className="border-b bg-muted text-foreground">
                <tr>
                  <th className="px-3 py-2 font-medium">Email</th>
                  <th className="px-3 py-2 font-medium">Role</th>
                  <th className="px-3 py-2 font-medium">Status</th>
                  <th className="px-3 py-2 font-medium">Joined</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {users.data.items.map((user) => (
                  <tr key={user.id}>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <Link to={`/admin/users/${user.id}`} className="underline">
                        {user.email}
                      </Link>
                    </td>
                    <td className="px-3 py-2">{user.role}</td>
                    <td className="px-3 py-2">{user.is_active ? "active" : "deactivated"}</td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <Moment value={user.created_at} format={date} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <Pagination
            page={page}
            total={users.data.total}
            pageSize={PAGE_SIZE}
            pageLink={pageLink}
          />
        </>
      )}
    </section>
  );
}
