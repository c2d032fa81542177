"""Each generated project passes its own suite, with its own README command, on the real server."""

from tests.generated import Project


def assert_all_passed(project: Project, arguments: str = "") -> None:
    expected = project.collected()
    outcome = project.pytest(arguments)
    assert outcome.returncode == 0, outcome.output
    assert expected >= 25
    assert outcome.counts == {"passed": expected}, outcome.output


def test_the_generated_suite_passes_twice_in_a_row_in_random_order(project: Project) -> None:
    assert_all_passed(project, "-p randomly -p no:cacheprovider")
    assert_all_passed(project, "-p randomly -p no:cacheprovider")
