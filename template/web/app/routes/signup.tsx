// Create an account: it is logged in at once and a verification link is emailed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { accountReadAccountQueryKey, authSignUpMutation } from "~/client/@tanstack/react-query.gen";
import { zCredentials } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { AuthPage } from "~/components/auth-page";
import { CredentialsFields } from "~/components/credentials-fields";
import { Alert } from "~/components/ui/alert";
import { useApiForm } from "~/lib/forms";
import { nextPath } from "~/lib/session";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Sign up · ${projectName}` }];
}

export default function SignupPage() {
  const navigate = useNavigate();
  const deleted = useLocation().state?.deleted === true;
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();
  const signUp = useMutation(authSignUpMutation());
  const form = useApiForm(zCredentials, async (body) => {
    const user = await signUp.mutateAsync({ body });
    queryClient.clear();
    queryClient.setQueryData(accountReadAccountQueryKey(), user);
    await navigate(nextPath(searchParams.get("next")), { replace: true });
  });

  return (
    <AuthPage
      title="Sign up"
      footer={
        <p>
          Already have an account?{" "}
          <Link to={`/login${searchParams.size ? `?${searchParams}` : ""}`} className="underline">
            Log in
          </Link>
        </p>
      }
    >
      <ApiForm
        state={form}
        header={deleted && <Alert role="status">Your account and its items were deleted.</Alert>}
      >
        <CredentialsFields errors={form.errors} newPassword />
        <SubmitButton state={form} busy="Creating your account…">
          Create account
        </SubmitButton>
      </ApiForm>
    </AuthPage>
  );
}
