import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ItemForm, type ItemFormValues } from "~/components/item-form";

function renderForm(onSubmit: (values: ItemFormValues) => Promise<unknown>) {
  render(<ItemForm submitLabel="Create item" onSubmit={onSubmit} />);
  return userEvent.setup();
}

describe("ItemForm", () => {
  it("does not submit while the title is missing and says why next to the field", async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = renderForm(onSubmit);

    await user.click(screen.getByRole("button", { name: "Create item" }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Title")).toHaveAccessibleDescription("This field is required.");
  });

  it("takes its limits from the API schema: a blank or too long title is refused", async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = renderForm(onSubmit);

    await user.type(screen.getByLabelText("Title"), "   ");
    await user.click(screen.getByRole("button", { name: "Create item" }));
    expect(screen.getByLabelText("Title")).toHaveAccessibleDescription("This field is required.");

    await user.clear(screen.getByLabelText("Title"));
    await user.click(screen.getByLabelText("Title"));
    await user.paste("x".repeat(201));
    await user.click(screen.getByRole("button", { name: "Create item" }));
    expect(screen.getByLabelText("Title")).toHaveAccessibleDescription(
      "Use at most 200 characters.",
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("submits the trimmed values", async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = renderForm(onSubmit);

    await user.type(screen.getByLabelText("Title"), "  Buy milk  ");
    await user.type(screen.getByLabelText("Description"), "two litres");
    await user.click(screen.getByLabelText("Done"));
    await user.click(screen.getByRole("button", { name: "Create item" }));

    // What was typed, among whatever else the form sends: a field a team adds to Item (and to
    // this form) arrives too, at its default, without breaking this test.
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ title: "Buy milk", description: "two litres", done: true }),
    );
  });

  it("shows the server's 422 field errors next to their fields and keeps the input", async () => {
    const user = renderForm(async () => {
      throw {
        detail: "Invalid input",
        code: "validation_error",
        errors: [{ field: "description", message: "Too long for the server", type: "too_long" }],
      };
    });

    await user.type(screen.getByLabelText("Title"), "Buy milk");
    await user.click(screen.getByRole("button", { name: "Create item" }));

    const description = await screen.findByLabelText("Description");
    expect(description).toHaveAccessibleDescription("Too long for the server");
    expect(description).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Title")).toHaveValue("Buy milk");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows errors that belong to no field above the form", async () => {
    const user = renderForm(async () => {
      throw new TypeError("Failed to fetch");
    });

    await user.type(screen.getByLabelText("Title"), "Buy milk");
    await user.click(screen.getByRole("button", { name: "Create item" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not reach the server (Failed to fetch).",
    );
  });
});
