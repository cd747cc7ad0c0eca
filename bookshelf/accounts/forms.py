"""The sign-in form."""

from flask_wtf import FlaskForm
from wtforms import EmailField, Field, Form, PasswordField
from wtforms.validators import InputRequired, Length, ValidationError

from bookshelf.accounts import passwords
from bookshelf.accounts.emails import email_problem, normalise_email


def normalised(email: str | None) -> str | None:
    return normalise_email(email) if email else email


def an_email_address(form: Form, field: Field) -> None:
    problem = email_problem(field.data)
    if problem:
        raise ValidationError(problem)


class SignInForm(FlaskForm):
    email = EmailField("Email", filters=[normalised], validators=[an_email_address])
    password = PasswordField(
        "Password",
        validators=[
            InputRequired("Enter your password."),
            Length(max=passwords.MAX_LENGTH, message="That password is too long to be anyone's."),
        ],
    )
