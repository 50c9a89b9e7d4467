import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { createRoutesStub } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import type { ItemPublic, ItemsPage as ItemsPageData } from "~/client";
import { itemsListItemsQueryKey } from "~/client/@tanstack/react-query.gen";
import { client } from "~/client/client.gen";
import ItemsPage, { PAGE_SIZE } from "~/routes/_authenticated._index";

function item(number: number): ItemPublic {
  return {
    id: `item_01h455vb4pex5vsknk084sn0${number.toString().padStart(2, "0")}`,
    title: `Task ${number}`,
    description: "",
    done: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

/** The list page at `url`, its query cache optionally holding the page the server would send. */
function renderItemsPage(url: string, cached?: { offset: number; data: ItemsPageData }) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  if (cached) {
    const options = { query: { limit: PAGE_SIZE, offset: cached.offset } };
    queryClient.setQueryData(itemsListItemsQueryKey(options), cached.data);
  }
  const Stub = createRoutesStub([{ path: "/", Component: ItemsPage }]);
  render(
    <QueryClientProvider client={queryClient}>
      <Stub initialEntries={[url]} />
    </QueryClientProvider>,
  );
}

describe("ItemsPage", () => {
  afterEach(() => client.setConfig({ baseUrl: undefined }));

  it("invites to create the first item when there is none", () => {
    renderItemsPage("/", { offset: 0, data: { items: [], total: 0, limit: PAGE_SIZE, offset: 0 } });

    expect(screen.getByText("No items yet.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Create the first one" })).toHaveAttribute(
      "href",
      "/items/new",
    );
  });

  it("shows the requested page with links to its neighbours", () => {
    const items = [item(11), item(12)];
    renderItemsPage("/?page=2", {
      offset: PAGE_SIZE,
      data: { items, total: 22, limit: 10, offset: 10 },
    });

    expect(screen.getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getByText("Page 2 of 3")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Previous" })).toHaveAttribute("href", "/?page=1");
    expect(screen.getByRole("link", { name: "Next" })).toHaveAttribute("href", "/?page=3");
  });

  it("shows loading, then says why the items could not be loaded", async () => {
    client.setConfig({ baseUrl: "http://127.0.0.1:9" }); // the discard port: nothing answers

    renderItemsPage("/");

    expect(screen.getByText("Loading items…")).toBeInTheDocument();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      /Could not load the items: Could not reach the server/,
    );
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
