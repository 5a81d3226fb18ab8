"""The exporter tests sign with the session key store `gpg_keys` (tests/conftest.py): the team's
key, an expired key and a passphrase-protected one (tests.support.PASSPHRASE)."""
