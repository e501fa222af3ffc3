"""Evidence photos: real images only, no metadata kept, random names, served after a check."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inspections.models import Photo
from inspections.photos import MAX_PIXELS
from inspections.services.visits import add_photo
from portal.choices import Role
from tests.inspections.visit_builders import (  # noqa: F401 (fixtures by name)
    gps_exif,
    image_bytes,
    inspection_fixture,
    media_root_fixture,
    unassigned_inspector_fixture,
    visit_fixture,
)

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_photo(client, visit, name, content, **fields):
    return client.post(
        reverse("photo-upload", args=[visit.pk]),
        {"file": upload(name, content), "caption": "", "article": "", **fields},
    )


def test_a_text_file_named_like_a_jpeg_is_refused_with_a_clear_message(
    client, inspector, visit, media_root
):
    client.force_login(inspector)
    response = post_photo(client, visit, "x.jpg", b"this is not a picture\n" * 20)
    assert response.status_code == 200
    assert "is not a JPEG, PNG or WebP image (whatever its name says)" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_gif_is_refused_even_though_it_is_an_image(inspector, visit, media_root):
    with pytest.raises(ValidationError) as caught:
        add_photo(inspector, visit, upload("a.gif", image_bytes("GIF")))
    assert "JPEG, PNG or WebP" in caught.value.message_dict["file"][0]


def test_an_oversized_image_is_refused(client, inspector, visit, media_root, settings):
    settings.INSPECTION_PHOTO_MAX_BYTES = 2_000
    big = Image.effect_noise((300, 300), 80).convert("RGB")
    output = io.BytesIO()
    big.save(output, format="JPEG", quality=95)
    content = output.getvalue()
    assert len(content) > 2_000
    client.force_login(inspector)
    response = post_photo(client, visit, "big.jpg", content)
    assert "at most 2.0\xa0KB are accepted" in response.content.decode()
    assert not Photo.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(inspector, visit, media_root):
    side = int(MAX_PIXELS**0.5) + 10
    content = image_bytes("PNG", (side, side), color=(0, 0, 0))  # compresses to a small file
    with pytest.raises(ValidationError) as caught:
        add_photo(inspector, visit, upload("bomb.png", content, "image/png"))
    assert "megapixels" in caught.value.message_dict["file"][0]


def test_a_jpeg_with_gps_is_stored_without_any_exif(inspector, visit, media_root):
    original = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # it has a position
    photo = add_photo(inspector, visit, upload("IMG_0001.jpg", original), "Counter", "5-5")
    with photo.file.open("rb") as handle:
        stored = handle.read()
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.format == "JPEG"
    assert not reopened.getexif()
    assert "exif" not in reopened.info
    assert b"TabletCam" not in stored and b"secret comment" not in stored
    assert (photo.width, photo.height, photo.content_type) == (64, 48, "image/jpeg")
    assert photo.size_bytes == len(stored)


def test_the_stored_name_is_random_and_outside_the_static_files(
    inspector, visit, media_root, settings
):
    photo = add_photo(inspector, visit, upload("shop-front.jpg", image_bytes("JPEG")))
    path = Path(photo.file.path).resolve()
    name = path.name
    assert "shop-front" not in photo.file.name
    assert len(name.split(".")[0]) == 32 and name.endswith(".jpg")
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not any(path.is_relative_to(Path(d).resolve()) for d in settings.STATICFILES_DIRS)


def test_png_and_webp_are_accepted(inspector, visit, media_root):
    png = add_photo(inspector, visit, upload("a.png", image_bytes("PNG"), "image/png"))
    webp = add_photo(
        inspector, visit, upload("b.webp", image_bytes("WEBP", color=(1, 2, 3)), "image/webp")
    )
    assert (png.content_type, webp.content_type) == ("image/png", "image/webp")


def test_the_same_photo_twice_in_a_visit_is_refused_politely(inspector, visit, media_root):
    content = image_bytes("JPEG")
    add_photo(inspector, visit, upload("a.jpg", content))
    with pytest.raises(ValidationError) as caught:
        add_photo(inspector, visit, upload("again.jpg", content))
    assert caught.value.message_dict["file"] == ["This photo is already attached to this visit."]
    assert Photo.objects.count() == 1


def test_the_owner_gets_the_photo_others_get_404(
    client, inspector, owner, other_owner, make_user, visit, media_root
):
    photo = add_photo(inspector, visit, upload("a.jpg", image_bytes("JPEG")))
    url = reverse("photo-file", args=[photo.pk])
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    unattached = make_user("owner9", Role.BUSINESS)  # a business user acting for no business
    client.force_login(unattached)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_an_unassigned_inspector_sees_the_photo_but_cannot_add_one(
    client, inspector, unassigned_inspector, visit, media_root
):
    photo = add_photo(inspector, visit, upload("a.jpg", image_bytes("JPEG")))
    client.force_login(unassigned_inspector)
    assert client.get(reverse("photo-file", args=[photo.pk])).status_code == 200
    response = post_photo(client, visit, "b.jpg", image_bytes("JPEG", color=(9, 9, 9)))
    assert response.status_code == 403
    assert Photo.objects.count() == 1


def test_the_inspector_adds_a_photo_from_the_page(client, inspector, visit, media_root):
    client.force_login(inspector)
    response = post_photo(client, visit, "a.jpg", image_bytes("JPEG"), caption="Thermostat")
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.caption == "Thermostat" and photo.uploaded_by == inspector
    page = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert reverse("photo-file", args=[photo.pk]) in page
