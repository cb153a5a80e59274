"""Critical editions of three texts on the Russian revolution of 1917."""
