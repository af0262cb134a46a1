"""Library definition files (official-images `library/*`), read exactly as bashbrew v0.1.14 reads them."""
