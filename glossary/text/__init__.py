"""Text cleaning: pinyin ruby, mojibake, script (OpenCC), Unicode folding, sentence splitting."""
