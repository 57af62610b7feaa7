"""Woo publication: redaction in the model, withheld spans and attachments, inventory, proof."""
