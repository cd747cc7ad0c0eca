"""Finding authors and books by the words a reader remembers of them."""
