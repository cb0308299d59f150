"""Platform adapters; native SDK objects never leave these modules."""
