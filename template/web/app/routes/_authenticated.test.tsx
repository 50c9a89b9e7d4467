import { useQuery } from "@tanstack/react-query";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { itemsListItemsOptions } from "~/client/@tanstack/react-query.gen";
import AuthenticatedLayout from "~/routes/_authenticated";
import { fakeApi, Location, type Reply, renderRoutes, resetApi, user } from "~/testing";

const NOT_AUTHENTICATED: Reply = {
  status: 401,
  body: { detail: "Log in to continue.", code: "not_authenticated" },
};

function ItemsCount() {
  const items = useQuery(itemsListItemsOptions());
  return <p>{items.data ? `${items.data.total} items` : "loading items"}</p>;
}

function renderProtected(url: string) {
  renderRoutes(
    [
      {
        Component: AuthenticatedLayout,
        children: [
          { path: "/", Component: ItemsCount },
          { path: "/items/new", Component: ItemsCount },
        ],
      },
      { path: "/login", Component: Location },
    ],
    url,
  );
}

describe("the pages that need a login", () => {
  afterEach(resetApi);

  it("send a visitor without a session to log in, and back here afterwards", async () => {
    fakeApi({ "GET /api/account": NOT_AUTHENTICATED });

    renderProtected("/items/new?from=menu");

    expect(await screen.findByTestId("location")).toHaveTextContent(
      "/login?next=%2Fitems%2Fnew%3Ffrom%3Dmenu",
    );
  });

  it("show the page to a logged-in user", async () => {
    fakeApi({
      "GET /api/account": { status: 200, body: user },
      "GET /api/items": { status: 200, body: { items: [], total: 3, limit: 20, offset: 0 } },
    });

    renderProtected("/");

    expect(await screen.findByText("3 items")).toBeInTheDocument();
    expect(screen.queryByText(/verify your email/)).not.toBeInTheDocument();
  });

  it("send the user to log in when any request finds the session ended", async () => {
    let sessionRevoked = false;
    const api = fakeApi({
      "GET /api/account": () => (sessionRevoked ? NOT_AUTHENTICATED : { status: 200, body: user }),
      "GET /api/items": () => {
        sessionRevoked = true; // from another browser, after the layout saw the user logged in
        return NOT_AUTHENTICATED;
      },
    });
    renderProtected("/");

    expect(await screen.findByTestId("location")).toHaveTextContent("/login?next=%2F");
    expect(api.mock.calls.map(([route]) => route)).toEqual([
      "GET /api/account",
      "GET /api/items",
      "GET /api/account",
    ]);
  });

  it("ask an unverified user to verify, and send a new link on request", async () => {
    const api = fakeApi({
      "GET /api/account": { status: 200, body: { ...user, email_verified_at: null } },
      "GET /api/items": { status: 200, body: { items: [], total: 0, limit: 20, offset: 0 } },
      "POST /api/auth/email-verification": { status: 202, body: { detail: "sent" } },
    });
    renderProtected("/");

    expect(await screen.findByRole("status")).toHaveTextContent(
      "Please verify your email address: we sent a link to ada@example.com.",
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Send a new link" }));

    expect(await screen.findByText("A new link is on its way.")).toBeInTheDocument();
    expect(api).toHaveBeenCalledWith("POST /api/auth/email-verification", undefined);
  });
});
