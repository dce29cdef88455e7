from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """The claims a municipality's provider gives: the address (verified unless the user's last name says
    "unverified", as a provider with an unconfirmed address would), the name, and a personal identity number that
    the portal must never keep."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "personal_identity_number": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "given_name": user.first_name,
            "family_name": user.last_name,
            "personal_identity_number": "19811218-9876",
        }
