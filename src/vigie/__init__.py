"""vigie: turn raw news articles into a structured record of what happened."""

__version__ = "0.1.0"
