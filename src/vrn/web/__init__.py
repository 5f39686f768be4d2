"""Site shell: GOV.UK Frontend base template, home page, sign-in and sign-out."""
