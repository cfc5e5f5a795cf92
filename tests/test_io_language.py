from commitments.io.language import detect_language, guess_language, language_sample

ENGLISH = ("The two leaders agreed to hold regular consultations and to expand cooperation "
           "in trade, energy and public health over the coming years.")
SPANISH = ("Los dos gobiernos acordaron celebrar consultas periódicas y ampliar la cooperación "
           "en comercio, energía y salud pública durante los próximos años.")
FRENCH = ("Les deux dirigeants sont convenus de tenir des consultations régulières et "
          "d'élargir la coopération dans les domaines du commerce et de la santé.")


def test_detects_languages_of_short_paragraphs():
    assert detect_language(ENGLISH)[0] == "en"
    assert detect_language(SPANISH)[0] == "es"
    assert detect_language(FRENCH)[0] == "fr"
    code, confidence = detect_language(SPANISH)
    assert 0.5 <= confidence <= 1.0


def test_too_little_text_gives_no_language():
    assert detect_language("12 34 --") == (None, 0.0)
    assert guess_language("OK.") is None


def test_sample_of_a_long_text_covers_start_middle_and_end():
    text = "a" * 5000 + "MIDDLE" + "b" * 5000 + "END"
    sample = language_sample(text, size=100)
    assert sample.startswith("a" * 100) and sample.endswith("END")
    assert "MIDDLE" in sample and len(sample) < 400


def test_a_foreign_body_after_an_english_title_is_not_english():
    text = "Joint statement\n\n" + " ".join([SPANISH] * 20)
    assert guess_language(text) == "es"
