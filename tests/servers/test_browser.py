"""The pages in a real browser: what a reader sees while searching, paging and filtering,
and what a curator does to change the shelf.

Each test serves its app on a free local port and drives Debian's Chromium through
Playwright, on both database backends. Screenshots of the pages are left in
test-artifacts/ for people to look at.
"""

import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed: apt-get install -y chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

# Playwright's own browser builds cannot be downloaded here, so it drives Debian's
# Chromium, with everything that would reach out to the network switched off.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}

# Thirty authors, ten from each country, so the list (25 to a page) runs to two pages.
# Book titles are given out of order, so the author page has something to sort.
SHELF = {
    "Finland": {
        "Tove Jansson": [
            "The Moomins and the Great Flood",
            "Finn Family Moomintroll",
            "Comet in Moominland",
            "Moominsummer Madness",
        ],
        "Sofi Oksanen": ["Purge", "When the Doves Disappeared"],
        "Väinö Linna": ["The Unknown Soldier", "Under the North Star"],
        "Mika Waltari": ["The Egyptian", "The Dark Angel"],
        "Aleksis Kivi": ["Seven Brothers"],
        "Arto Paasilinna": ["The Year of the Hare", "The Howling Miller"],
        "Johanna Sinisalo": ["Troll: A Love Story", "The Core of the Sun"],
        "Leena Krohn": ["Tainaron: Mail from Another City"],
        "Emmi Itäranta": ["Memory of Water", "The City of Woven Streets"],
        "Pasi Ilmari Jääskeläinen": ["The Rabbit Back Literature Society"],
    },
    "Japan": {
        "Haruki Murakami": ["Norwegian Wood", "Kafka on the Shore", "1Q84"],
        "Yoko Ogawa": ["The Memory Police", "The Housekeeper and the Professor"],
        "Banana Yoshimoto": ["Kitchen", "The Lake"],
        "Natsume Soseki": ["Kokoro", "I Am a Cat", "Botchan"],
        "Yasunari Kawabata": ["Snow Country", "Thousand Cranes"],
        "Kobo Abe": ["The Woman in the Dunes", "The Box Man"],
        "Sayaka Murata": ["Convenience Store Woman", "Earthlings"],
        "Kenzaburo Oe": ["A Personal Matter", "The Silent Cry"],
        "Yukio Mishima": ["The Sound of Waves", "Confessions of a Mask"],
        "Hiromi Kawakami": ["Strange Weather in Tokyo", "The Nakano Thrift Shop"],
    },
    "Nigeria": {
        "Chinua Achebe": ["Things Fall Apart", "No Longer at Ease", "Arrow of God"],
        "Chimamanda Ngozi Adichie": ["Purple Hibiscus", "Half of a Yellow Sun", "Americanah"],
        "Wole Soyinka": ["The Interpreters", "Death and the King's Horseman", "Aké"],
        "Ben Okri": ["The Famished Road", "Songs of Enchantment"],
        "Buchi Emecheta": ["The Joys of Motherhood", "Second-Class Citizen"],
        "Nnedi Okorafor": ["Binti", "Who Fears Death"],
        "Ayobami Adebayo": ["Stay With Me", "A Spell of Good Things"],
        "Teju Cole": ["Open City", "Every Day Is for the Thief"],
        "Helon Habila": ["Waiting for an Angel", "Oil on Water"],
        "Oyinkan Braithwaite": ["My Sister, the Serial Killer"],
    },
}
TOVE_JANSSON_BIO = "Finnish writer and painter, best known for the Moomin books."


@pytest.fixture
def shelf(add_author):
    """Store SHELF's thirty authors with their countries and books."""
    for country, authors in SHELF.items():
        for name, books in authors.items():
            bio = TOVE_JANSSON_BIO if name == "Tove Jansson" else None
            add_author(name, country=country, bio=bio, books=books)


@pytest.fixture
def backend(app):
    """The test's database backend by name: sqlite or postgresql."""
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


@pytest.fixture
def live_server(app):
    """The test's app served over HTTP on a free local port; gives its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module's tests; each test gets its own context in it."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages on the live server in fresh browser contexts, all closed after the test."""
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(base_url=live_server, **context_options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized browser tab on the live server."""
    return new_page()


def author_links(page):
    return page.get_by_role("table").get_by_role("link")


def found_books(page):
    return page.get_by_role("region", name="Books").get_by_role("listitem")


def test_reader_finds_a_book_by_its_title_and_goes_back_to_the_search(
    page, shelf, artifacts_dir, backend
):
    page.goto("/")
    expect(page).to_have_url("/authors/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Authors")
    expect(page.get_by_role("status")).to_have_text("Showing 1–25 of 30 authors")
    expect(author_links(page)).to_have_count(25)
    page.screenshot(path=artifacts_dir / f"authors-{backend}.png", full_page=True)

    page.get_by_label("Search authors and books").fill("comet in MOOMINLAND")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “comet in MOOMINLAND”")
    expect(found_books(page)).to_have_text(["Comet in Moominland by Tove Jansson"])
    # Each word of the title is marked where the search found it.
    expect(found_books(page).locator("mark")).to_have_text(["Comet", "in", "Moominland"])
    page.screenshot(path=artifacts_dir / f"search-{backend}.png", full_page=True)

    found_books(page).get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tove Jansson")
    expect(page.get_by_text("Finland", exact=True)).to_be_visible()
    expect(page.get_by_text(TOVE_JANSSON_BIO)).to_be_visible()
    books = page.get_by_role("region", name="Books").get_by_role("listitem")
    expect(books).to_have_text(
        [
            "Comet in Moominland",
            "Finn Family Moomintroll",
            "Moominsummer Madness",
            "The Moomins and the Great Flood",
        ]
    )
    page.screenshot(path=artifacts_dir / f"author-{backend}.png", full_page=True)

    page.go_back()

    expect(page.get_by_label("Search authors and books")).to_have_value("comet in MOOMINLAND")
    expect(found_books(page)).to_have_count(1)


def test_reader_pages_through_the_list_and_goes_back_to_the_same_page(page, shelf):
    page.goto("/authors/")
    pages = page.get_by_role("navigation", name="Pages of authors", exact=True)
    pages_above = page.get_by_role("navigation", name="Pages of authors, top")
    expect(pages_above).to_contain_text("Page 1 of 2")

    pages_above.get_by_role("link", name="Next →").click()
    expect(page.get_by_role("status")).to_have_text("Showing 26–30 of 30 authors")
    expect(pages_above).to_contain_text("Page 2 of 2")
    expect(pages).to_contain_text("Page 2 of 2")
    expect(author_links(page)).to_have_text(
        ["Väinö Linna", "Wole Soyinka", "Yasunari Kawabata", "Yoko Ogawa", "Yukio Mishima"]
    )

    pages.get_by_role("link", name="← Previous").click()
    expect(page.get_by_role("status")).to_have_text("Showing 1–25 of 30 authors")
    expect(author_links(page).first).to_have_text("Aleksis Kivi")

    pages.get_by_role("link", name="Next →").click()
    page.get_by_role("link", name="Wole Soyinka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wole Soyinka")
    expect(page.get_by_role("region", name="Books").get_by_role("listitem")).to_have_text(
        ["Aké", "Death and the King's Horseman", "The Interpreters"]
    )

    page.get_by_role("link", name="← Back to authors").click()

    expect(page.get_by_role("status")).to_have_text("Showing 26–30 of 30 authors")
    expect(pages.get_by_role("link", name="2")).to_have_attribute("aria-current", "page")


def test_reader_filters_by_country_and_goes_back_to_the_same_country(page, shelf):
    page.goto("/authors/")
    countries = page.get_by_role("complementary", name="Countries")
    expect(countries.get_by_role("listitem")).to_have_text(
        ["All countries", "Finland 10", "Japan 10", "Nigeria 10"]
    )

    countries.get_by_role("link", name="Nigeria").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Authors from Nigeria")
    expect(page.get_by_role("status")).to_have_text("Showing 1–10 of 10 authors")
    expect(page.get_by_role("navigation", name="Pages of authors")).to_have_count(0)
    expect(page.get_by_role("table").get_by_role("cell", name="Nigeria")).to_have_count(10)
    expect(author_links(page)).to_have_count(10)

    page.get_by_role("link", name="Teju Cole").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teju Cole")
    page.get_by_role("link", name="← Back to authors").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Authors from Nigeria")
    expect(author_links(page)).to_have_count(10)

    countries.get_by_role("link", name="All countries").click()
    expect(page.get_by_role("status")).to_have_text("Showing 1–25 of 30 authors")


def test_author_list_on_a_phone(new_page, shelf, artifacts_dir, backend):
    page = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page.goto("/authors/")
    expect(page.get_by_role("status")).to_have_text("Showing 1–25 of 30 authors")
    # Nothing is wider than the screen, so the page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    expect(page.get_by_role("complementary", name="Countries")).to_be_in_viewport()
    page.screenshot(path=artifacts_dir / f"authors-phone-{backend}.png", full_page=True)


def phone(new_page):
    return new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)


def lines_of_text(locator) -> int:
    return locator.evaluate(
        "element => Math.round(element.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(element).lineHeight))"
    )


def test_countries_and_the_list_fit_a_phone(new_page, shelf, add_author):
    add_author("Kazuo Ishiguro", country="United Kingdom", books=["Never Let Me Go"])
    page = phone(new_page)
    page.goto("/authors/")

    # The country goes under the name, on one line, and the table is no wider than the screen.
    table = page.get_by_role("table")
    assert lines_of_text(table.get_by_text("United Kingdom").filter(visible=True)) == 1
    assert table.evaluate("table => table.getBoundingClientRect().right") <= PHONE_VIEWPORT["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]

    # The chips scroll sideways inside the screen, the chosen one first and wholly in view.
    page.get_by_role("link", name="United Kingdom").click()
    expect(author_links(page)).to_have_text(["Kazuo Ishiguro"])
    chips = page.get_by_role("complementary", name="Countries").get_by_role("list")
    box = chips.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_VIEWPORT["width"]
    assert chips.evaluate("list => list.scrollWidth > list.clientWidth")
    expect(chips.get_by_role("link", name="United Kingdom")).to_be_in_viewport(ratio=1)


def test_the_chosen_country_is_in_view_on_a_phone_that_draws_the_page_as_it_arrives(
    new_page, shelf, add_author
):
    """On a slow connection the row of chips is drawn before the chosen one has arrived; when
    it comes, it goes first, and must not push the row out of place and itself out of view."""
    add_author("Kazuo Ishiguro", country="United Kingdom", books=["Never Let Me Go"])
    page = phone(new_page)
    page.goto("/authors/")
    page.evaluate(
        """async ({url, chosen}) => {
            const html = await (await fetch(url)).text();
            const chip = html.indexOf(`aria-current="true">${chosen}<`);
            if (chip < 0) throw new Error(`no chosen chip for ${chosen} in the page`);
            const cut = html.lastIndexOf("<li>", chip);
            document.open();
            document.write(html.slice(0, cut));
            await new Promise(drawn => requestAnimationFrame(() => requestAnimationFrame(drawn)));
            const row = document.querySelector(".countries ul");
            if (getComputedStyle(row).display !== "flex" || row.scrollWidth <= row.clientWidth) {
                throw new Error("the first part was not drawn as a row of chips that scrolls");
            }
            document.write(html.slice(cut));
            document.close();
        }""",
        {"url": "/authors/?country=United+Kingdom", "chosen": "United Kingdom"},
    )

    expect(author_links(page)).to_have_text(["Kazuo Ishiguro"])
    chips = page.get_by_role("complementary", name="Countries").get_by_role("list")
    expect(chips.get_by_role("link", name="United Kingdom")).to_be_in_viewport(ratio=1)


def test_search_results_and_an_author_on_a_phone(new_page, shelf, artifacts_dir, backend):
    page = phone(new_page)
    page.goto("/search?q=tove")
    authors = page.get_by_role("region", name="Authors").get_by_role("link")
    expect(authors).to_have_text(["Tove Jansson"])
    expect(found_books(page)).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.screenshot(path=artifacts_dir / f"search-phone-{backend}.png", full_page=True)

    authors.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tove Jansson")
    expect(page.get_by_role("region", name="Books").get_by_role("listitem")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.screenshot(path=artifacts_dir / f"author-phone-{backend}.png", full_page=True)


# Curating: signed in, a curator changes the shelf through the forms.


def sign_in(page) -> None:
    page.goto("/authors/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(CURATOR_EMAIL)
    page.get_by_label("Password").fill(CURATOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(CURATOR_EMAIL)).to_be_visible()


def flash(page):
    return page.locator(".flash")


def test_curator_adds_edits_deletes_and_restores_through_the_forms(
    new_page, curator, artifacts_dir, backend
):
    page = new_page()
    sign_in(page)
    page.screenshot(path=artifacts_dir / f"authors-signed-in-{backend}.png", full_page=True)

    page.get_by_role("link", name="Add an author").click()
    page.get_by_label("Name", exact=True).fill("Ursula Le Guin")
    page.get_by_label("Country").fill("United States")
    page.get_by_label("Bio").fill("Wrote of Earthsea\nand of Anarres.")
    page.screenshot(path=artifacts_dir / f"author-form-{backend}.png", full_page=True)
    page.get_by_role("button", name="Add author").click()

    expect(flash(page)).to_have_text("Added “Ursula Le Guin”.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ursula Le Guin")
    page.get_by_role("link", name="Add a book").click()
    page.get_by_label("Title").fill("The Dispossesed")
    page.get_by_role("button", name="Add book").click()
    expect(flash(page)).to_have_text("Added “The Dispossesed” to Ursula Le Guin’s books.")
    books = page.get_by_role("region", name="Books").get_by_role("listitem")
    expect(books).to_have_count(1)
    page.screenshot(path=artifacts_dir / f"author-signed-in-{backend}.png", full_page=True)

    page.get_by_role("link", name="Edit The Dispossesed").click()
    expect(page.get_by_label("Author", exact=True)).to_have_value("Ursula Le Guin")
    page.screenshot(path=artifacts_dir / f"book-form-{backend}.png", full_page=True)
    page.get_by_label("Title").fill("The Dispossessed")
    page.get_by_role("button", name="Save changes").click()
    expect(flash(page)).to_have_text("Saved your changes to “The Dispossessed”.")

    # Two curators open the same author's form; the second to save hears of the first.
    author_url = page.url
    other = new_page()
    sign_in(other)
    page.goto(f"{author_url}/edit")
    other.goto(f"{author_url}/edit")
    other.get_by_label("Name", exact=True).fill("Ursula K. Le Guin")
    other.get_by_role("button", name="Save changes").click()
    expect(flash(other)).to_have_text("Saved your changes to “Ursula K. Le Guin”.")
    page.get_by_label("Country").fill("USA")
    page.get_by_role("button", name="Save changes").click()
    conflict = page.get_by_role("alert")
    expect(conflict).to_contain_text("Someone else saved this author while you were editing")
    expect(conflict).to_contain_text("Ursula K. Le Guin")
    expect(page.get_by_label("Country")).to_have_value("USA")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Ursula Le Guin")
    page.screenshot(path=artifacts_dir / f"author-conflict-{backend}.png", full_page=True)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ursula K. Le Guin")

    page.get_by_role("list", name="Change this author").get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete Ursula K. Le Guin?")
    page.screenshot(path=artifacts_dir / f"delete-author-{backend}.png", full_page=True)
    page.get_by_role("button", name="Delete the author and 1 book").click()
    expect(flash(page)).to_contain_text("Deleted “Ursula K. Le Guin” and 1 book.")
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Ursula K. Le Guin")
    page.screenshot(path=artifacts_dir / f"history-{backend}.png", full_page=True)

    page.get_by_role("button", name="Restore Ursula K. Le Guin").click()
    expect(flash(page)).to_have_text("Restored “Ursula K. Le Guin” with 1 book.")
    expect(books).to_have_count(1)
    expect(books.first).to_contain_text("The Dispossessed")

    page.get_by_role("button", name="Sign out").click()
    expect(flash(page)).to_have_text("You are signed out.")
    page.goto(author_url)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_the_forms_on_a_phone(new_page, shelf, curator, artifacts_dir, backend):
    page = phone(new_page)
    sign_in(page)
    fits = "document.documentElement.scrollWidth <= window.innerWidth"

    page.goto("/authors/new")
    page.get_by_role("button", name="Add author").click()
    expect(page.get_by_text("Enter the author’s name.")).to_be_visible()
    assert page.evaluate(fits)
    page.screenshot(path=artifacts_dir / f"author-form-phone-{backend}.png", full_page=True)

    # A move to a name several authors contain offers them to choose from.
    page.goto("/search?q=Tove")
    page.get_by_role("region", name="Authors").get_by_role("link").first.click()
    page.get_by_role("link", name="Edit Comet in Moominland").click()
    page.get_by_label("Author", exact=True).fill("Ha")
    page.get_by_role("button", name="Save changes").click()
    candidates = page.get_by_role("group", name="Move it to one of these authors")
    expect(candidates.get_by_role("button")).not_to_have_count(0)
    assert page.evaluate(fits)
    page.screenshot(path=artifacts_dir / f"book-form-phone-{backend}.png", full_page=True)
    candidates.get_by_role("button", name="Haruki Murakami").click()
    expect(flash(page)).to_have_text("Moved “Comet in Moominland” to Haruki Murakami.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Haruki Murakami")
    assert page.evaluate(fits)
    page.screenshot(path=artifacts_dir / f"author-signed-in-phone-{backend}.png", full_page=True)

    page.goto("/changes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recent changes")
    assert page.evaluate(fits)
    page.screenshot(path=artifacts_dir / f"changes-phone-{backend}.png", full_page=True)
