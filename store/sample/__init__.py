"""The bundled sample: 16 sheets of 大竹县司法局 for 2024 (used by `jixiao demo`)."""
