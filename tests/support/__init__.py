"""Network doubles shared by the test layers: a recording proxy and a TLS server nobody trusts."""
