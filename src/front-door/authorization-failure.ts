/** The OAuth library's refusals of an authorization request, as the page (or redirect) people get. */
import { AuthorizationError, CimdFetchError } from "@cloudflare/workers-oauth-provider";
import { errorPage } from "./pages";
import { page } from "./http";

export function authorizationFailure(error: unknown): Response {
  if (error instanceof AuthorizationError && error.redirectTo) return Response.redirect(error.redirectTo, 302);
  if (error instanceof AuthorizationError) {
    // Covers a malformed request and a consent page that expired (10 minutes), was already used, or
    // was opened in another browser: the library's description says which.
    return page(400, errorPage("This sign-in request is not valid", error.description, "Go back to your app and start connecting again: it opens a fresh sign-in page. If it keeps happening, remove and re-add the server in your app."));
  }
  if (error instanceof CimdFetchError) {
    return page(400, errorPage("This app could not be verified", "Its client metadata document could not be fetched.", "Try again later, or contact the app's publisher."));
  }
  throw error;
}
