// The hint under a field that sets a new password: the server's minimum length, then advice.
import { useQuery } from "@tanstack/react-query";
import { clientConfigGetClientConfigOptions } from "~/client/@tanstack/react-query.gen";

/** `enabled: false` where the field takes an existing password: no hint, and no request. */
export function useNewPasswordHint({ enabled = true }: { enabled?: boolean } = {}): string {
  const config = useQuery({
    ...clientConfigGetClientConfigOptions(),
    staleTime: Infinity,
    enabled,
  });
  const advice = "A long phrase you use nowhere else works best.";
  return config.data ? `At least ${config.data.password_min_length} characters. ${advice}` : advice;
}
