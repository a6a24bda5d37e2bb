"""Where the live pool comes from, kept outside the code: a file (BESTDEV_POOL) or the published pool in the
app's storage (BESTDEV_POOL_URL), each read again only when it changed; `blob.publish` writes a new version."""
