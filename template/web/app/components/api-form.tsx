// The shell of every form sent to the API (its state comes from lib/forms.ts's useApiForm): the
// schema's checks instead of the browser's, the form-wide error above the fields, a busy button.
import type { ComponentProps, FormEvent, ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { type ApiFormState, formValues } from "~/lib/forms";

type ApiFormProps = Omit<ComponentProps<"form">, "onSubmit"> & {
  state: ApiFormState;
  /** Shown first, above the form-wide error: the form's heading, a notice. */
  header?: ReactNode;
  /** What is sent: the form's text inputs, unless a form adds to them or keeps its own state. */
  values?: (event: FormEvent<HTMLFormElement>) => unknown;
  /** Empty the inputs once the server accepted them (for forms that stay on the page). */
  resetWhenAccepted?: boolean;
};

export function ApiForm({
  state,
  header,
  values = formValues,
  resetWhenAccepted = false,
  className = "grid grid-cols-1 gap-5",
  children,
  ...props
}: ApiFormProps) {
  return (
    <form
      {...props}
      noValidate
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        void state.submit(values(event)).then((accepted) => {
          if (accepted && resetWhenAccepted) form.reset();
        });
      }}
    >
      {header}
      {state.formError && <Alert variant="destructive">{state.formError}</Alert>}
      {children}
    </form>
  );
}

type SubmitButtonProps = Omit<ComponentProps<typeof Button>, "type" | "disabled"> & {
  state: ApiFormState;
  /** The label while the request is on its way ("Saving…"). */
  busy: string;
};

export function SubmitButton({ state, busy, children, ...props }: SubmitButtonProps) {
  return (
    <Button {...props} type="submit" disabled={state.submitting}>
      {state.submitting ? busy : children}
    </Button>
  );
}
