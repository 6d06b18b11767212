"""Going back before reviews of licence applications, their rows go first, in a transaction of their own:
PostgreSQL refuses to alter a table with deletions still pending in the same transaction."""

from django.db import migrations


def forget_application_reviews(apps, schema_editor):
    """Going back before reviews of licence applications: the state before holds reviews of cases only, so the
    reviews of applications (and their rounds and coordinations) go with the licensing tables they point at."""
    Review = apps.get_model("review", "Review")
    reviews = Review.objects.filter(case__isnull=True)
    apps.get_model("review", "Coordination").objects.filter(review__in=reviews).delete()
    apps.get_model("review", "Round").objects.filter(review__in=reviews).delete()
    reviews.delete()


class Migration(migrations.Migration):
    dependencies = [("review", "0006_review_of_licence_applications")]

    operations = [migrations.RunPython(migrations.RunPython.noop, forget_application_reviews)]
