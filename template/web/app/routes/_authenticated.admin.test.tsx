import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import AdminLayout from "~/routes/_authenticated.admin";
import AdminUserPage from "~/routes/_authenticated.admin.users.$userId";
import { fakeApi, type Reply, renderRoutes, resetApi, user } from "~/testing";

const admin = { ...user, id: "user_01h455vb4pex5vsknk084sn02r", role: "admin", impersonator: null };
const member = {
  ...user,
  is_active: true,
  updated_at: user.created_at,
  last_login_at: null,
  item_count: 2,
  sessions: [],
};
const NO_EVENTS: Reply = { status: 200, body: { items: [], total: 0, limit: 10, offset: 0 } };

function UsersStub() {
  return <p>users table</p>;
}

function renderAdmin(url: string) {
  renderRoutes(
    [
      {
        Component: AdminLayout,
        children: [
          { path: "/admin", Component: UsersStub },
          { path: "/admin/users/:userId", Component: AdminUserPage },
        ],
      },
    ],
    url,
  );
  return userEvent.setup();
}

describe("the admin area", () => {
  afterEach(resetApi);

  it("does not exist for members", async () => {
    fakeApi({ "GET /api/account": { status: 200, body: user } });
    renderAdmin("/admin");

    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
    expect(screen.queryByText("users table")).not.toBeInTheDocument();
  });

  it("does not exist for an admin acting as someone else", async () => {
    fakeApi({
      "GET /api/account": { status: 200, body: { ...user, role: "admin", impersonator: admin } },
    });
    renderAdmin("/admin");

    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
  });

  it("deactivates a user only after the admin confirms", async () => {
    const api = fakeApi({
      "GET /api/account": { status: 200, body: admin },
      [`GET /api/admin/users/${user.id}`]: { status: 200, body: member },
      "GET /api/admin/audit-events": NO_EVENTS,
      [`POST /api/admin/users/${user.id}/deactivate`]: {
        status: 200,
        body: { ...member, is_active: false },
      },
    });
    const browser = renderAdmin(`/admin/users/${user.id}`);

    await browser.click(await screen.findByRole("button", { name: "Deactivate" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("Deactivate ada@example.com?");
    expect(api).not.toHaveBeenCalledWith(expect.stringContaining("POST"), undefined);
    await browser.click(screen.getByRole("button", { name: "Deactivate" }));

    expect(api).toHaveBeenCalledWith(`POST /api/admin/users/${user.id}/deactivate`, undefined);
  });
});
