"""The WSGI entry point: gunicorn wsgi:app."""

from dotenv import load_dotenv

from bookshelf import create_app

# `flask` reads .env by itself; gunicorn does not.
load_dotenv()
app = create_app()
