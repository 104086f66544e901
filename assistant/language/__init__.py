"""Language resources: tokenizer, question tables, name table, glossary, dictionary."""
