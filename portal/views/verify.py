"""The public page that verifies an issued document of any kind (no sign-in).

``/documents/verify/`` asks for the code printed on the document; the QR code on the
document opens ``/documents/verify/<code>/`` directly. That page states the City's record
of the document and who signed its file (PAdES, where the issued file is signed), and
compares a PDF uploaded there with the one issued. Which documents can be verified, and
what their page says, each app registers (:mod:`portal.pdf.verify`).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.pdf import verify

MAX_PDF_BYTES = 20 * 1024 * 1024


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=40,
        help_text=gettext_lazy("As printed under the QR code, e.g. K7QH-2MXA-P9RT-CW4E."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        code = verify.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A verification code has 16 letters and digits, e.g. K7QH-2MXA-P9RT-CW4E.")
            )
        return code


class FileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PDF file to check"),
        help_text=gettext_lazy("The file is compared with the City's copy and not kept."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_PDF_BYTES:
            raise forms.ValidationError(
                _("The file is larger than any document the City issues (%(limit)d MB).")
                % {"limit": MAX_PDF_BYTES // (1024 * 1024)}
            )
        return uploaded


class VerifyStartView(View):
    """Enter the code printed on a document."""

    template_name = "portal/verify_start.html"

    def get(self, request):
        if "code" not in request.GET:
            return render(request, self.template_name, {"form": CodeForm()})
        form = CodeForm(request.GET)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        document = verify.issued_document(form.cleaned_data["code"])
        if document is None:
            form.add_error("code", _("No document issued by the City has this verification code."))
            return render(request, self.template_name, {"form": form}, status=404)
        return redirect("document-verify", code=document.verification_code)


class VerifyDocumentView(View):
    """What the City's records say of the document with this code; check a PDF against it."""

    template_name = "portal/verify.html"

    def _document(self, code: str):
        document = verify.issued_document(code)
        if document is None:
            raise Http404(_("No document issued by the City has this verification code."))
        return document

    def get(self, request, code: str):
        document = self._document(code)
        return render(
            request,
            self.template_name,
            {
                "facts": _facts(document),
                "signature": verify.signature(document),
                "form": FileForm(),
                "document": document,
            },
        )

    def post(self, request, code: str):
        document = self._document(code)
        form = FileForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            result = verify.matches(document, form.cleaned_data["file"])
        return render(
            request,
            self.template_name,
            {
                "facts": _facts(document),
                "signature": verify.signature(document),
                "form": FileForm() if result is not None else form,
                "document": document,
                "result": result,
            },
            status=200 if form.is_valid() else 400,
        )


def _facts(document) -> verify.Facts:
    return verify.facts(document, translation.get_language() or settings.LANGUAGE_CODE)
