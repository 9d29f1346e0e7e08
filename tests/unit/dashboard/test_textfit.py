"""Text fitted into the server-drawn charts: widths in DejaVu Sans, words wrapped, never cut."""

from dashboard.components import textfit


def test_widths_are_the_fonts_advances_summed():
    # "Ab" in DejaVu Sans: A 0.684 em + b 0.635 em; bold A 0.774 + b 0.716; a character the table lacks counts 0.84 em.
    assert textfit.width("Ab", 100) == 131.9
    assert textfit.width("Ab", 100, bold=True) == 149.0
    assert textfit.width("字", 10) == 8.4


def test_wrap_breaks_between_words_only():
    # At 26: "Satpol PP dan" is 6.889 em = 179.1 wide and fits 234; adding " Damkar" makes 11.167 em = 290.3.
    assert textfit.wrap("Satpol PP dan Damkar", 234, 26) == ["Satpol PP dan", "Damkar"]
    assert textfit.wrap("Bapperlitbangda", 100, 26) == ["Bapperlitbangda"]  # too wide, but never cut
    assert textfit.wrap("A4\u00a0Penyelenggara SPBE", 240, 26) == ["A4\u00a0Penyelenggara", "SPBE"]  # no break at a no-break space


def test_fit_takes_a_smaller_size_before_a_third_line_or_a_word_too_wide():
    assert textfit.fit("teguran lisan", 234, 26) == (["teguran lisan"], 26)
    # "A4 Penyelenggara" joined by a no-break space is 9.13 em: 237.4 at 26 does not fit 234, 228.3 at 25 does.
    assert textfit.fit("A4\u00a0Penyelenggara", 234, 26) == (["A4\u00a0Penyelenggara"], 25)
    # Too long for two lines even at three quarters of the size (19.5): whole, on three lines, rather than cut.
    assert textfit.fit("Layanan Administrasi Pemerintahan Berbasis Elektronik", 234, 26) == (
        ["Layanan Administrasi", "Pemerintahan Berbasis", "Elektronik"], 19.5)


def test_a_text_block_centres_its_lines_on_the_middle():
    block = textfit.text_block(100, 50, ["one", "two"], 20, 'text-anchor="end"')
    # Lines 22 apart (1.1 em), the pair centred on 50: baselines at 50 + 7.2 - 11 and 22 below that.
    assert '<tspan x="100.0" y="46.2">one</tspan><tspan x="100.0" y="68.2">two</tspan>' in block
    assert 'font-size="20" text-anchor="end"' in block
